//go:build !windows

package app

// securePolicyFolder has nothing to do outside Windows: the folder is created
// 0755 by the administrator (root) who runs write-policy, and the policy's
// trust check refuses a file anyone else can write.
func securePolicyFolder(string) error { return nil }
