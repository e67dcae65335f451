package sqldb

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
)

// mustGroupDB is a SQLite file with a table of named rows; a row may name
// a parent row (a foreign key SQLite can check at COMMIT).
func mustGroupDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open("sqlite://" + filepath.Join(t.TempDir(), "group.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Gorm().Exec(`CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
		parent INTEGER REFERENCES rows(id))`).Error; err != nil {
		t.Fatal(err)
	}
	if db.group == nil {
		t.Fatal("a SQLite database has no group commit")
	}
	return db
}

func insertRow(tx *gorm.DB, name string) error {
	return tx.Exec("INSERT INTO rows (name) VALUES (?)", name).Error
}

func rowNames(t *testing.T, s *DB) map[string]bool {
	t.Helper()
	var names []string
	if err := s.gorm.Raw("SELECT name FROM rows").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, n := range names {
		got[n] = true
	}
	return got
}

// groupOf runs jobs concurrently as one group: the first holds the
// transaction open until all the others are queued behind it. It returns
// each job's error, or its panic as an error.
func groupOf(t *testing.T, s *DB, jobs []func(tx *gorm.DB) error) []error {
	t.Helper()
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	started := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[0] = s.Tx(context.Background(), func(tx *gorm.DB) error {
			close(started)
			deadline := time.Now().Add(5 * time.Second)
			for queued(s) < len(jobs)-1 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			return jobs[0](tx)
		})
	}()
	<-started
	for i := 1; i < len(jobs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("panic: %v", p)
				}
			}()
			errs[i] = s.Tx(context.Background(), jobs[i])
		}()
	}
	wg.Wait()
	return errs
}

func queued(s *DB) int {
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	return len(s.group.queue)
}

func TestGroupCommit(t *testing.T) {
	refused := errors.New("refused")
	t.Run("OK", func(t *testing.T) {
		s := mustGroupDB(t)
		var jobs []func(tx *gorm.DB) error
		for i := range 20 {
			jobs = append(jobs, func(tx *gorm.DB) error { return insertRow(tx, fmt.Sprintf("r%d", i)) })
		}
		for i, err := range groupOf(t, s, jobs) {
			if err != nil {
				t.Errorf("job %d: %v", i, err)
			}
		}
		if got := rowNames(t, s); len(got) != 20 {
			t.Errorf("%d rows committed, want 20", len(got))
		}
	})
	t.Run("ErrOneMemberFails", func(t *testing.T) {
		// A member that fails after writing rolls back to its savepoint; the
		// members before and after it commit, and one that panics too.
		s := mustGroupDB(t)
		jobs := []func(tx *gorm.DB) error{
			func(tx *gorm.DB) error { return insertRow(tx, "first") },
			func(tx *gorm.DB) error { return insertRow(tx, "second") },
			func(tx *gorm.DB) error {
				if err := insertRow(tx, "failed"); err != nil {
					return err
				}
				return refused
			},
			func(tx *gorm.DB) error {
				if err := insertRow(tx, "panicked"); err != nil {
					return err
				}
				panic("boom")
			},
			func(tx *gorm.DB) error { return insertRow(tx, "first") }, // UNIQUE: the statement fails
			func(tx *gorm.DB) error { return insertRow(tx, "last") },
		}
		errs := groupOf(t, s, jobs)
		if errs[0] != nil || errs[1] != nil || errs[5] != nil {
			t.Errorf("members that succeeded: %v, %v, %v; want nil", errs[0], errs[1], errs[5])
		}
		if !errors.Is(errs[2], refused) {
			t.Errorf("failing member: %v, want its own error", errs[2])
		}
		if errs[3] == nil || errs[3].Error() != "panic: boom" {
			t.Errorf("panicking member: %v, want its panic in its own goroutine", errs[3])
		}
		if !errors.Is(errs[4], gorm.ErrDuplicatedKey) {
			t.Errorf("duplicate member: %v, want the UNIQUE violation", errs[4])
		}
		want := map[string]bool{"first": true, "second": true, "last": true}
		if got := rowNames(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("committed %v, want %v", got, want)
		}
	})
	t.Run("ErrFirstMemberFails", func(t *testing.T) {
		s := mustGroupDB(t)
		errs := groupOf(t, s, []func(tx *gorm.DB) error{
			func(tx *gorm.DB) error { insertRow(tx, "first"); return refused },
			func(tx *gorm.DB) error { return insertRow(tx, "second") },
		})
		if !errors.Is(errs[0], refused) || errs[1] != nil {
			t.Errorf("errors %v; want refused, nil", errs)
		}
		if got := rowNames(t, s); !got["second"] || got["first"] {
			t.Errorf("committed %v, want only second", got)
		}
	})
	t.Run("ErrCommitFails", func(t *testing.T) {
		// A foreign key checked at COMMIT fails the whole group: no member
		// hears of success, nor of a refusal decided on the group's writes
		// (the fourth refuses because it sees the first's row), and
		// nothing of any of them is written.
		s := mustGroupDB(t)
		errs := groupOf(t, s, []func(tx *gorm.DB) error{
			func(tx *gorm.DB) error { return insertRow(tx, "first") },
			func(tx *gorm.DB) error {
				if err := tx.Exec("PRAGMA defer_foreign_keys = ON").Error; err != nil {
					return err
				}
				return tx.Exec("INSERT INTO rows (name, parent) VALUES ('orphan', 999)").Error
			},
			func(tx *gorm.DB) error { return insertRow(tx, "third") },
			func(tx *gorm.DB) error {
				var n int64
				if err := tx.Raw("SELECT count(*) FROM rows WHERE name = 'first'").Scan(&n).Error; err != nil {
					return err
				}
				if n == 1 {
					return refused
				}
				return nil
			},
		})
		for i, err := range errs {
			if err == nil || errors.Is(err, refused) || err.Error() != errs[0].Error() {
				t.Errorf("member %d: %v, want the failed commit's error", i, err)
			}
		}
		if !errors.Is(errs[0], gorm.ErrForeignKeyViolated) {
			t.Errorf("commit error %v, want the deferred FOREIGN KEY violation", errs[0])
		}
		if got := rowNames(t, s); len(got) != 0 {
			t.Errorf("committed %v, want nothing", got)
		}
	})
	t.Run("ErrNested", func(t *testing.T) {
		s := mustGroupDB(t)
		err := s.Tx(context.Background(), func(tx *gorm.DB) error {
			return s.Tx(tx.Statement.Context, func(*gorm.DB) error { return nil })
		})
		if !errors.Is(err, ErrNestedTx) {
			t.Errorf("nested transaction: %v, want ErrNestedTx", err)
		}
	})
	t.Run("ErrCancelledWhileQueued", func(t *testing.T) {
		// A use case whose request goes away while it waits never runs.
		s := mustGroupDB(t)
		release, running := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			first <- s.Tx(context.Background(), func(tx *gorm.DB) error {
				close(running)
				<-release
				return insertRow(tx, "first")
			})
		}()
		<-running
		ctx, cancel := context.WithCancel(context.Background())
		queuedErr, ran := make(chan error, 1), false
		go func() {
			queuedErr <- s.Tx(ctx, func(tx *gorm.DB) error { ran = true; return insertRow(tx, "cancelled") })
		}()
		for queued(s) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-queuedErr; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled while queued: %v, want context.Canceled", err)
		}
		close(release)
		if err := <-first; err != nil {
			t.Errorf("first: %v", err)
		}
		if got := rowNames(t, s); ran || got["cancelled"] || !got["first"] {
			t.Errorf("ran %v, committed %v; want only first", ran, got)
		}
	})
}
