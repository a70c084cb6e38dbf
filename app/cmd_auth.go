package app

import (
	"context"
	"fmt"
)

// The sign-in commands arrive with the Microsoft 365 sign-in (issue 4).

func (env *Env) cmdSignin(ctx context.Context, args []string) int {
	fmt.Fprintln(env.Stderr, "frontdesk signin: not available in this build yet")
	return ExitConfig
}

func (env *Env) cmdSignout(ctx context.Context, args []string) int {
	fmt.Fprintln(env.Stderr, "frontdesk signout: not available in this build yet")
	return ExitConfig
}

func (env *Env) cmdWhoami(ctx context.Context, args []string) int {
	fmt.Fprintln(env.Stderr, "frontdesk whoami: not available in this build yet")
	return ExitConfig
}
