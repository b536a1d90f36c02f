"""Ledger storage: the SQLite ledger, an in-memory ledger, JSONL export and import.

The work-plan logic (replay, verification, reconciliation) is in
`countypolicing.operations`; this subpackage keeps ledgers durable:

- `SQLiteLedger`: the embedded default, one SQLite file, safe with several writing
  processes and with processes killed mid-write;
- `MemoryLedger`: the same behaviour in memory, for tests and notebooks;
- `LedgerStore`: the protocol to implement for a store of your own, and
  `append_entries`, which gives it validated, idempotent, hash-chained appends;
- `export_jsonl` and `import_jsonl`: a line-per-record text format for backups and
  exchange, read strictly, with damage reported by line and recovery offered.

Added in version 0.1.0.
"""

from countypolicing.storage._jsonl import (
    JSONL_SCHEMA_VERSION,
    JsonlImport,
    export_jsonl,
    import_jsonl,
)
from countypolicing.storage._sqlite import SQLITE_SCHEMA_VERSION, SQLiteLedger
from countypolicing.storage._store import LedgerStore, MemoryLedger, append_entries
from countypolicing.storage._sweep_store import (
    PARTITION_FORMATS,
    SweepDirectory,
    progress_reporter,
    sweep_to_directory,
)

__all__ = [
    "JSONL_SCHEMA_VERSION",
    "PARTITION_FORMATS",
    "SQLITE_SCHEMA_VERSION",
    "JsonlImport",
    "LedgerStore",
    "MemoryLedger",
    "SQLiteLedger",
    "SweepDirectory",
    "append_entries",
    "export_jsonl",
    "import_jsonl",
    "progress_reporter",
    "sweep_to_directory",
]
