// Command screenwatch is scripts/scale.sh's eye on the screen: it reads one
// rectangle of the X display's root window every few milliseconds and prints
// a line each time its pixels change, "<unix nanoseconds> <hash>", until it
// is killed or -for has passed. The script later finds when the rectangle
// first showed what it shows once settled. ImageMagick's import, a process
// per look, managed one look a second on a busy 2-core machine.
//
// Usage: screenwatch -rect X,Y,W,H [-every 20ms] [-for 0]
package main

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

// grab copies the rectangle's pixels into buf (w*h*4 bytes, 0x00RRGGBB each);
// 0 when the X server could not give them.
static int grab(Display *d, int x, int y, int w, int h, unsigned int *buf) {
	XImage *img = XGetImage(d, DefaultRootWindow(d), x, y, w, h, AllPlanes, ZPixmap);
	if (img == NULL) return 0;
	for (int j = 0; j < h; j++)
		for (int i = 0; i < w; i++)
			buf[j * w + i] = (unsigned int)XGetPixel(img, i, j);
	XDestroyImage(img);
	return 1;
}
*/
import "C"

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"time"
	"unsafe"
)

func main() {
	rect := flag.String("rect", "", "X,Y,W,H of the rectangle to watch, in root window pixels")
	every := flag.Duration("every", 20*time.Millisecond, "how often to look")
	total := flag.Duration("for", 0, "stop after this long (0: until killed)")
	flag.Parse()
	var x, y, w, h int
	if _, err := fmt.Sscanf(*rect, "%d,%d,%d,%d", &x, &y, &w, &h); err != nil || w <= 0 || h <= 0 {
		fmt.Fprintln(os.Stderr, "screenwatch: -rect X,Y,W,H is needed")
		os.Exit(2)
	}
	d := C.XOpenDisplay(nil)
	if d == nil {
		fmt.Fprintln(os.Stderr, "screenwatch: cannot open the display $DISPLAY")
		os.Exit(1)
	}
	defer C.XCloseDisplay(d)
	buf := make([]uint32, w*h)
	bytes := unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), len(buf)*4)
	var last uint64
	start := time.Now()
	for *total == 0 || time.Since(start) < *total {
		at := time.Now()
		if C.grab(d, C.int(x), C.int(y), C.int(w), C.int(h), (*C.uint)(unsafe.Pointer(&buf[0]))) != 0 {
			sum := fnv.New64a()
			sum.Write(bytes)
			if s := sum.Sum64(); s != last {
				fmt.Printf("%d %016x\n", at.UnixNano(), s)
				last = s
			}
		}
		time.Sleep(*every)
	}
}
