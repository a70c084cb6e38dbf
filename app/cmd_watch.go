package app

import (
	"context"
	"fmt"
)

func (env *Env) cmdWatch(ctx context.Context, args []string) int {
	fmt.Fprintln(env.Stderr, "frontdesk watch: not available in this build yet")
	return ExitConfig
}
