"""Adapters from the other apps' reimbursable records to claim items (see :mod:`reimbursements.sources`)."""
