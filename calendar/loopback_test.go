package calendar

import "testing"

func TestIsLoopbackHost(t *testing.T) {
	tests := map[string]bool{
		"localhost": true, "LOCALHOST": true, "localhost.": true,
		"127.0.0.1": true, "127.0.0.2": true, "127.255.255.254": true, "::1": true,
		"0:0:0:0:0:0:0:1": true, "::ffff:127.0.0.1": true,
		"": false, "128.0.0.1": false, "10.0.0.1": false, "::": false, "0.0.0.0": false,
		"localhost.contoso.com": false, "mylocalhost": false, "127.0.0.1.nip.io": false, "[::1]": false,
	}
	for host, want := range tests {
		t.Run(host, func(t *testing.T) {
			if got := IsLoopbackHost(host); got != want {
				t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
			}
		})
	}
}
