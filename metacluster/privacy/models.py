"""No tables of its own: personal data stays on the records that hold it (contacts, users,
notes); consent and lawful basis are fields of Contact, and every change to them is kept by
the audit trail (metacluster/audit.py)."""
