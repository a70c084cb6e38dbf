package app

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// A console started while another one runs for the same profile asks that one
// to come to the front, then exits. An operator who clicks the launcher again
// because the window is buried under other work gets the window back, not
// silence: a launcher shows no terminal for a refusal to appear in.
//
// The running console listens on an endpoint only the user can reach: a Unix
// socket in its state folder (raise_unix.go), a named pipe on Windows
// (raise_windows.go). The one request it understands is "show"; it carries
// nothing else, so nothing else can be asked.
const (
	raiseRequest = "show\n"
	raiseReply   = "ok\n"
	raiseTimeout = 2 * time.Second
)

// listenForRaise serves show requests until stop is called. Each request
// arrives on the channel; one pending request stands for any number.
func listenForRaise(stateDir string, logger *slog.Logger) (requests <-chan struct{}, stop func(), err error) {
	l, cleanup, err := listenRaiseEndpoint(stateDir)
	if err != nil {
		return nil, nil, err
	}
	ch := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return // closed by stop
			}
			if serveRaise(conn) {
				logger.Info("another start asked the console to come to the front")
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}()
	return ch, func() {
		_ = l.Close()
		wg.Wait()
		cleanup()
	}, nil
}

// serveRaise reads one request and answers it; it reports whether it was a
// show request.
func serveRaise(conn net.Conn) bool {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(raiseTimeout))
	line, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	if err != nil || line != raiseRequest {
		return false
	}
	_, _ = io.WriteString(conn, raiseReply)
	return true
}

// askToRaise asks the console running for this profile to come to the front.
// It fails when nothing answers: frontdesk watch holds the lock, or the
// console is still starting.
func askToRaise(ctx context.Context, stateDir string) error {
	ctx, cancel := context.WithTimeout(ctx, raiseTimeout)
	defer cancel()
	conn, err := dialRaiseEndpoint(ctx, stateDir)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	letTheRunningConsoleTakeTheForeground()
	if _, err := io.WriteString(conn, raiseRequest); err != nil {
		return err
	}
	reply, err := bufio.NewReader(io.LimitReader(conn, 64)).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != raiseReply {
		return errors.New("unexpected answer from the running console")
	}
	return nil
}
