"""The stations' pages: the keepers' (``keeper``), the lists of opinions forwarded to a
deputy and referred to a unit (``lists``), the station ledger's export (``ledger``)."""
