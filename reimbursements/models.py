"""Reimbursement claims to SPP IS and their lines."""
