// Command frontdesk is an attendant console for calendars: see README.md.
package main

import (
	"os"

	"github.com/frontdesk-app/frontdesk/app"
)

func main() {
	os.Exit(app.Run(os.Args[1:]))
}
