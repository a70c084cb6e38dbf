package calendar

import "time"

// DirectoryCache is implemented by sources that keep the last complete
// directory listing on disk (Graph). The engine lists the saved colleagues
// the moment it starts, while the listing runs (a tenant of 1,000 listed
// addresses was 8 s of an empty window), and says they are the saved copy
// (EngineState.DirectorySaved) until a live listing replaces them: the copy
// is never passed off as live.
type DirectoryCache interface {
	// CachedDirectory is the saved listing for the configured colleagues and
	// when it was saved; ok is false when there is none.
	CachedDirectory() (people []Person, saved time.Time, ok bool)
	// DirectoryFromCache is when the copy the last Directory call returned
	// was saved: zero when that call listed the directory live, set when the
	// listing failed and the saved copy stood in.
	DirectoryFromCache() time.Time
}

// savedDirectory reads the source's saved directory, only while the engine
// has listed nobody yet; nil otherwise. Outside the engine's lock: it reads
// a file.
func (r *Refresher) savedDirectory() (people []Person, saved time.Time) {
	cache, ok := r.src.(DirectoryCache)
	if !ok {
		return nil, time.Time{}
	}
	r.mu.Lock()
	started := r.roster.loaded || r.pub.haveLatest
	r.mu.Unlock()
	if started {
		return nil, time.Time{}
	}
	people, saved, ok = cache.CachedDirectory()
	if !ok || len(people) == 0 {
		return nil, time.Time{}
	}
	return people, saved
}

// showSavedDirectoryLocked puts the saved colleagues in the roster for the
// first snapshot, marked as the saved copy. The listing is still owed: the
// roster does not count as loaded, so no calendar is asked for before it,
// and a failed listing is handled as before (with the saved names on show).
func (r *Refresher) showSavedDirectoryLocked(people []Person, saved time.Time) {
	if len(people) == 0 {
		return
	}
	r.roster.replace(withRooms(people, r.rooms.rooms), r.sched.favourites)
	r.roster.loaded = false
	r.directorySaved = saved
	r.pub.directoryChanged = true
	r.log.Info("directory: showing the saved copy while the listing runs", "people", len(people), "saved", saved)
}

// directoryListedLocked records whether the listing just installed is live
// or the saved copy standing in for a failed one; the copy is listed again
// as soon as a failed reload would be, not in DirectoryInterval.
func (r *Refresher) directoryListedLocked(now time.Time) {
	r.directorySaved = time.Time{}
	if cache, ok := r.src.(DirectoryCache); ok {
		r.directorySaved = cache.DirectoryFromCache()
	}
	if !r.directorySaved.IsZero() {
		r.roster.due = now.Add(min(directoryRetry, r.directoryEvery))
	}
}
