"""Authentication and sessions: login lockout, session lifetimes, API tokens, passwords, second factor."""
