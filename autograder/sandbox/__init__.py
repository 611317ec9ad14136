"""Running untrusted student code: a sandboxed worker process and the plain-data wire format."""
