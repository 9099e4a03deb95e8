"""Mails about accounts (password reset, registration with a known address): slice 5."""
