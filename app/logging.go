package app

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"gopkg.in/natefinch/lumberjack.v2"
)

// LogFileName is the current log file inside Paths.LogDir; rotated files sit beside it.
const LogFileName = "frontdesk.log"

// Logging is the open log and how to close it.
type Logging struct {
	Logger *slog.Logger
	File   string
	closer io.Closer
}

// Close flushes and closes the log file.
func (l *Logging) Close() error {
	if l.closer == nil {
		return nil
	}
	return l.closer.Close()
}

// OpenLog starts logging to a rotating file in dir, at level, and sends Go's
// crash output (panics in any goroutine, fatal errors) to a file beside it.
func OpenLog(dir string, level slog.Leveler) (*Logging, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	file := filepath.Join(dir, LogFileName)
	rot := &lumberjack.Logger{
		Filename:   file,
		MaxSize:    10, // MB
		MaxBackups: 5,
		MaxAge:     30, // days
		Compress:   true,
	}
	h := slog.NewJSONHandler(rot, &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr})
	logger := slog.New(h)
	if crash, err := os.OpenFile(filepath.Join(dir, "crash.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600); err == nil {
		// The runtime keeps its own duplicate of the descriptor, so a crash on
		// any goroutine, the UI thread included, still lands in the log folder.
		_ = debug.SetCrashOutput(crash, debug.CrashOptions{})
		crash.Close()
	}
	return &Logging{Logger: logger, File: file, closer: rot}, nil
}

// discardLogger is used before a log file exists (tests, early errors).
func discardLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
