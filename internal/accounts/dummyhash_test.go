package accounts

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// hashesAtStart is how many argon2 computations the package's
// initialisation did, read before any test runs.
var hashesAtStart int64

func TestMain(m *testing.M) {
	hashesAtStart = PasswordHashes().Total
	os.Exit(m.Run())
}

// Loading the package must not hash: each argon2 run holds 19 MiB, which
// used to be a third of an idle server's memory.
func TestNoHashingAtStartUp(t *testing.T) {
	if hashesAtStart != 0 {
		t.Fatalf("%d argon2 computations before any login", hashesAtStart)
	}
}

// The hash a missing account is checked against has the parameters of a
// real one, so checking it takes as long, and it matches no password.
func TestDummyHashCostsAHashAndMatchesNothing(t *testing.T) {
	p, err := parseHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen {
		t.Fatalf("dummy hash parameters %+v differ from this build's", p)
	}
	real, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if rp, _ := parseHash(real); rp.memory != p.memory || rp.time != p.time || rp.threads != p.threads {
		t.Fatalf("a real hash has %+v, the dummy %+v", rp, p)
	}
	before := PasswordHashes().Total
	for _, pw := range []string{"", "correct horse battery", "not the password of anyone at all"} {
		if ok, err := VerifyPassword(pw, dummyHash); ok || err != nil {
			t.Errorf("%q against the dummy hash: %v %v", pw, ok, err)
		}
	}
	if n := PasswordHashes().Total - before; n != 3 {
		t.Errorf("three checks against the dummy hash ran %d argon2 computations", n)
	}
	if unmatchableHash() == unmatchableHash() {
		t.Error("two unmatchable hashes are equal: the salt and key are not random")
	}
}

// Once no hash is running, the argon2 scratch memory goes back to the
// system rather than staying resident until some later collection.
func TestHashMemoryIsReturned(t *testing.T) {
	if _, err := HashPassword("correct horse battery"); err != nil {
		t.Fatal(err)
	}
	var held uint64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if held = ms.HeapSys - ms.HeapReleased; held < argonMemory*1024 {
			return
		}
	}
	t.Fatalf("the heap still holds %d MiB after the hash, more than its %d MiB of scratch", held>>20, argonMemory>>10)
}
