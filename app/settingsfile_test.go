package app

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// hostileSettings are TOML texts that cost the parser minutes and gigabytes,
// each nested 50,000 deep (under 300 KB).
func hostileSettings() map[string]string {
	const n = 50000
	return map[string]string{
		"inline tables": "refresh_interval = \"60s\"\na = " + strings.Repeat("{b = ", n) + "1" + strings.Repeat("}", n) + "\n",
		"arrays":        "a = " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n",
		"dotted key":    strings.TrimSuffix(strings.Repeat("k.", n), ".") + " = 1\n",
		"table header":  "[" + strings.TrimSuffix(strings.Repeat("k.", n), ".") + "]\nx = 1\n",
	}
}

// A config or policy file nested deeper than 32 is refused before the parser
// sees it, with the file, the line and the limit named.
func TestDeeplyNestedSettingsAreRefused(t *testing.T) {
	for name, text := range hostileSettings() {
		for _, which := range []string{"config", "policy"} {
			t.Run(name+" in "+which, func(t *testing.T) {
				p := testPaths(t)
				file := p.ConfigFile
				if which == "policy" {
					file = p.PolicyFile
				}
				write(t, file, text)
				_, err := LoadConfig(p, nil)
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.File != file {
					t.Fatalf("err = %v, want a ConfigError naming %s", err, file)
				}
				if want := "nested more than 32 levels deep"; !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to say %q", err, want)
				}
			})
		}
	}
}

// Settings as people write them pass the scanner: brackets, braces, dots and
// quotes inside strings and comments are not nesting.
func TestOrdinarySettingsPassTheNestingCheck(t *testing.T) {
	deepInString := strings.Repeat("[{", 100)
	ok := map[string]string{
		"the README's keys":    "provider = \"ews\"\nrefresh_interval = \"60s\"\n[ews]\nurl = \"https://mail.example.com/EWS/Exchange.asmx\"\nusername = 'a.b.c.d.e'\n[people]\nemails = [\"a@example.com\", \"b@example.com\"]\n",
		"brackets in strings":  "a = \"" + deepInString + "\"\nb = '" + deepInString + "'\n",
		"multi-line strings":   "a = \"\"\"\n" + deepInString + "\\\"\"\"\"\"\nb = '''\n" + deepInString + "''''\n",
		"brackets in comments": "# " + deepInString + "\na = 1 # " + deepInString + "\n",
		"dots in values":       "a = 1.5\nb = 1979-05-27T07:32:00.999Z\nc = [1.1, 2.2, 3.3]\n",
		"dotted keys at the limit": "[" + strings.TrimSuffix(strings.Repeat("k.", 16), ".") + "]\n" +
			strings.TrimSuffix(strings.Repeat("k.", 16), ".") + " = 1\n" +
			"x = " + strings.Repeat("[", 32) + strings.Repeat("]", 32) + "\n",
		"quoted keys with dots": "\"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h\" = 1\n",
	}
	for name, text := range ok {
		t.Run(name, func(t *testing.T) {
			if line, within := tomlNestingWithin([]byte(text), maxSettingsNesting); !within {
				t.Errorf("refused at line %d", line)
			}
		})
	}
	line, within := tomlNestingWithin([]byte("a = 1\nb = \"\"\"\n\n\"\"\"\nc = "+strings.Repeat("{d = ", 33)), maxSettingsNesting)
	if within || line != 5 {
		t.Errorf("33 nested inline tables: within %v at line %d, want refused at line 5", within, line)
	}
}

// A file over 1 MB is refused without being read to its end.
func TestLargeSettingsFileIsRefused(t *testing.T) {
	for _, which := range []string{"config", "policy"} {
		t.Run(which, func(t *testing.T) {
			p := testPaths(t)
			file := p.ConfigFile
			if which == "policy" {
				file = p.PolicyFile
			}
			write(t, file, "provider = \"demo\"\n"+strings.Repeat("# padding\n", maxSettingsFileSize/10+1))
			_, err := LoadConfig(p, nil)
			if err == nil || !strings.Contains(err.Error(), file+": is larger than 1 MB") {
				t.Errorf("err = %v, want %s refused as larger than 1 MB", err, file)
			}
		})
	}
}

// A broken line's bytes quoted back by the parser cannot drive the terminal:
// ESC, BEL and bidi overrides come out as escapes, in the file name too.
func TestConfigErrorEscapesControlCharacters(t *testing.T) {
	p := testPaths(t)
	p.ConfigFile = p.ConfigFile[:len(p.ConfigFile)-len("config.toml")] + "con\u202efig.toml"
	write(t, p.ConfigFile, "refresh_interval = \x1b]0;owned\x07\n")
	_, err := LoadConfig(p, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConfigError", err)
	}
	for name, text := range map[string]string{"Error": err.Error(), "window": ce.operatorText()} {
		if strings.ContainsAny(text, "\x1b\x07\u202e") {
			t.Errorf("%s text carries raw control characters: %q", name, text)
		}
		if !strings.Contains(text, `\u202e`) {
			t.Errorf("%s text %q does not show the override in the file name as an escape", name, text)
		}
	}
}

// BenchmarkNestedConfigRefused holds the cost of refusing a config nested
// 50,000 deep (it took the parser minutes before the check).
func BenchmarkNestedConfigRefused(b *testing.B) {
	dir := b.TempDir()
	p := Paths{ConfigFile: dir + "/config.toml", StateDir: dir}
	if err := os.WriteFile(p.ConfigFile, []byte(hostileSettings()["inline tables"]), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadConfig(p, nil); err == nil {
			b.Fatal("accepted")
		}
	}
}
