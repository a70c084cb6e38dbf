package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// asfwAny is ASFW_ANY, (DWORD)-1: any process may take the foreground.
const asfwAny = 0xFFFFFFFF

var allowSetForegroundWindow = windows.NewLazySystemDLL("user32.dll").NewProc("AllowSetForegroundWindow")

// letTheRunningConsoleTakeTheForeground passes this start's right to take
// the foreground on: Windows lets only the process the operator just started
// (this one) bring a window to the front, and the running console would
// otherwise only flash its taskbar button. The right lasts until the next
// input, so nothing else can use it for long.
func letTheRunningConsoleTakeTheForeground() {
	_, _, _ = allowSetForegroundWindow.Call(asfwAny)
}

// raisePipeName is the running console's named pipe for one profile: named
// after its state folder, so two profiles (or two test runs) never meet.
// A named pipe, not the Unix socket the other systems use: AF_UNIX needs
// Windows 10 1803 or later and is missing under wine 8 (WSAEAFNOSUPPORT,
// which left a second start with nothing to reach), while named pipes are on
// every Windows and carry their own access list.
func raisePipeName(stateDir string) string {
	abs, err := filepath.Abs(stateDir)
	if err != nil {
		abs = stateDir
	}
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(abs))))
	return `\\.\pipe\Frontdesk-console-` + hex.EncodeToString(sum[:12])
}

// pipeListener accepts one client at a time on a named pipe. Each instance
// is created before it waits (the first with FILE_FLAG_FIRST_PIPE_INSTANCE,
// so a pipe someone else made first is an error, not a share), and it waits
// for a client or for Close, whichever comes first.
type pipeListener struct {
	name   string
	sa     *windows.SecurityAttributes
	stop   windows.Handle // manual-reset event, set by Close
	mu     sync.Mutex
	next   windows.Handle // the instance the next Accept waits on
	closed bool
}

const pipeBufferSize = 512

func (l *pipeListener) newInstance(first bool) (windows.Handle, error) {
	mode := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		mode |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	name, err := windows.UTF16PtrFromString(l.name)
	if err != nil {
		return 0, err
	}
	return windows.CreateNamedPipe(name, mode,
		windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		windows.PIPE_UNLIMITED_INSTANCES, pipeBufferSize, pipeBufferSize, 0, l.sa)
}

// listenRaiseEndpoint creates the pipe for this user alone: the access list
// grants the current user and nobody else, and remote clients are refused.
func listenRaiseEndpoint(stateDir string) (net.Listener, func(), error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, nil, err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + user.User.Sid.String() + ")")
	if err != nil {
		return nil, nil, err
	}
	stop, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return nil, nil, err
	}
	l := &pipeListener{
		name: raisePipeName(stateDir),
		sa:   &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd},
		stop: stop,
	}
	if l.next, err = l.newInstance(true); err != nil {
		_ = windows.CloseHandle(stop)
		return nil, nil, &os.PathError{Op: "listen", Path: l.name, Err: err}
	}
	return l, func() {}, nil
}

func (l *pipeListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	h := l.next
	l.next = 0
	closed := l.closed
	l.mu.Unlock()
	if closed {
		if h != 0 {
			_ = windows.CloseHandle(h)
		}
		return nil, net.ErrClosed
	}
	if h == 0 {
		var err error
		if h, err = l.newInstance(false); err != nil {
			return nil, err
		}
	}
	if err := l.waitForClient(h); err != nil {
		_ = windows.CloseHandle(h)
		return nil, err
	}
	return &pipeConn{File: os.NewFile(uintptr(h), l.name), name: l.name}, nil
}

// waitForClient waits until a client opens instance h, or Close is called.
func (l *pipeListener) waitForClient(h windows.Handle) error {
	ev, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(ev)
	var ov windows.Overlapped
	ov.HEvent = ev
	switch err := windows.ConnectNamedPipe(h, &ov); {
	case err == nil, errors.Is(err, windows.ERROR_PIPE_CONNECTED):
		return nil
	case !errors.Is(err, windows.ERROR_IO_PENDING):
		return err
	}
	which, err := windows.WaitForMultipleObjects([]windows.Handle{ev, l.stop}, false, windows.INFINITE)
	if err != nil {
		return err
	}
	var n uint32
	if which == windows.WAIT_OBJECT_0 {
		return windows.GetOverlappedResult(h, &ov, &n, false)
	}
	_ = windows.CancelIoEx(h, &ov)
	_ = windows.GetOverlappedResult(h, &ov, &n, true)
	return net.ErrClosed
}

func (l *pipeListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return windows.SetEvent(l.stop)
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.name) }

type pipeAddr string

func (a pipeAddr) Network() string { return "pipe" }
func (a pipeAddr) String() string  { return string(a) }

// pipeConn is one end of a pipe instance; os.File gives it deadlines, as the
// handle was opened for overlapped I/O.
type pipeConn struct {
	*os.File
	name string
}

func (c *pipeConn) LocalAddr() net.Addr  { return pipeAddr(c.name) }
func (c *pipeConn) RemoteAddr() net.Addr { return pipeAddr(c.name) }

func dialRaiseEndpoint(ctx context.Context, stateDir string) (net.Conn, error) {
	name := raisePipeName(stateDir)
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	for {
		h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
			windows.FILE_FLAG_OVERLAPPED|windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		if err == nil {
			return &pipeConn{File: os.NewFile(uintptr(h), name), name: name}, nil
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) {
			return nil, &os.PathError{Op: "dial", Path: name, Err: err}
		}
		// Every instance is serving another start: wait a moment for the next.
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
