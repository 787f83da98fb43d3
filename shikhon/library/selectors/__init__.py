"""The library's reads, one module per part; `access` loads a row for a person (missing = forbidden = 404)."""
