package sqldb

import (
	"database/sql"
	"time"
)

// Checkpoints copy the WAL back into the database file and fsync both. By
// default SQLite runs one inside the commit that takes the WAL past 1000
// pages, while that commit still holds the write lock: under a stream of
// writes every thirtieth transaction or so paid for it, and the others
// queued behind. A background checkpointer does the same work (PASSIVE,
// so it never blocks readers or the writer) off the write path; the
// durability of synchronous=NORMAL is unchanged.
const (
	checkpointEvery = 250 * time.Millisecond
	// walPragmas run on every new connection: commits checkpoint only past
	// 10000 pages (40 MiB), a safety net should the checkpointer fall
	// behind, and the WAL file shrinks back to 64 MiB after a burst.
	// Temporary storage stays in memory: each use case of a group commit
	// runs under a savepoint, whose journal of the pages it changed
	// otherwise spills to a new temporary file past 64 KiB (ten times the
	// system calls of the whole commit).
	walPragmas = "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; PRAGMA temp_store=MEMORY"
)

// checkpoint runs a PASSIVE checkpoint every checkpointEvery until done is
// closed (when the database is). A checkpoint that fails, say because
// another process runs one, is simply retried at the next tick.
func checkpoint(db *sql.DB, done <-chan struct{}) {
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			_, _ = db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}
