package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// bashCompletion is Debian's bash-completion, which cobra's bash script
// needs (.ci/run installs it).
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// TestBashCompletion loads `vault-session completion bash` into a real
// bash and asks it what TAB offers, as bash does: the line split into
// COMP_WORDS (at spaces, and at ':' and '=' as COMP_WORDBREAKS says), the
// cursor at its end, the completion function called. The values come from
// the binary itself: its commands and flags, the presets and the history
// in its XDG homes.
func TestBashCompletion(t *testing.T) {
	t.Parallel()
	bin := builtBinary(t)
	bash, err := exec.LookPath("bash")
	if err == nil {
		_, err = os.Stat(bashCompletion)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("bash and bash-completion are needed under CI (apt-get install bash-completion): %v", err)
		}
		t.Skipf("no bash with bash-completion here (apt-get install bash-completion): %v", err)
	}
	home := t.TempDir()
	env := []string{
		"PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin",
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"VAULT_SESSION_PRESETS=" + filepath.Join(home, "team"),
	}
	os.MkdirAll(filepath.Join(home, "team"), 0o700)
	os.WriteFile(filepath.Join(home, "team", "acme-team.json"), []byte(`{"theme": {"vault_name": "Team"}}`), 0o600)
	for _, args := range [][]string{
		{"presets", "save", "acme-blue", "--primary-color", "#1d4ed8"},
		{"presets", "save", "acme-dark", "--primary-color", "#111827"},
		{"presets", "save", "globex", "--vault-name", "Globex"},
		{"create", "--demo", "--consumer-id", "acme-42", "--account-name", "Acme"},
		{"create", "--demo", "--consumer-id", "globex-17"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", args, err, out)
		}
	}
	script := filepath.Join(home, "vault-session.bash")
	gen := exec.Command(bin, "completion", "bash")
	gen.Env = env
	out, err := gen.Output()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(script, out, 0o600)

	tab := func(line string) []string {
		t.Helper()
		words := compWords(line)
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		prev := ""
		if len(words) > 1 {
			prev = words[len(words)-2]
		}
		program := "source " + bashCompletion + "\n" +
			"source " + script + "\n" +
			"COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n" +
			"COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" + strconv.Itoa(len(words)-1) + "\n" +
			"COMP_TYPE=9\n" + // TAB
			"__start_vault-session vault-session '" + words[len(words)-1] + "' '" + prev + "'\n" +
			`printf '%s\n' "${COMPREPLY[@]}"` + "\n"
		cmd := exec.Command(bash, "--noprofile", "--norc", "-c", program)
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("bash, for %q: %v\n%s%s", line, err, out, stderr.String())
		}
		// compopt only works while bash itself is completing: outside
		// it, it says so and changes nothing the test reads.
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if l != "" && !strings.HasSuffix(l, "compopt: not currently executing completion function") {
				t.Errorf("bash, for %q, said: %s", line, l)
			}
		}
		var offered []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				offered = append(offered, l)
			}
		}
		return offered
	}

	for _, tc := range []struct {
		line string
		want []string // exactly, in bash's order
	}{
		{"vault-session cr", []string{"create"}},
		{"vault-session pre", []string{"presets", "preview"}},
		{"vault-session create --preset acme-", []string{"acme-blue", "acme-dark", "acme-team"}},
		{"vault-session presets show glo", []string{"globex"}},
		{"vault-session create --consumer-id ", []string{"globex-17", "acme-42"}}, // newest first
		{"vault-session history --consumer acme", []string{"acme-42"}},
		{"vault-session create --unified-apis cr", []string{"crm"}},
		// A list goes on after its comma, inserted as typed (no "crm\,hris").
		{"vault-session create --unified-apis crm,hr", []string{"crm,hris"}},
		{"vault-session create --unified-apis crm,c", []string{"crm,calendar", "crm,csp", "crm,customer-support"}},
		{"vault-session create --allow-actions delete,disa", []string{"delete,disable"}},
		{"vault-session connections --api hr", []string{"hris"}},
		{"vault-session create --consumer-", []string{"--consumer-id"}},
		{"vault-session create --output ", []string{"text", "json", "curl"}},
		{"vault-session --theme d", []string{"dark"}},
		{"vault-session watch --until callable:cr", []string{"crm", "crm/"}}, // after the colon, as bash shows it
		{"vault-session completion f", []string{"fish"}},
	} {
		got := tab(tc.line)
		// With several values bash lists them with their descriptions;
		// the value is the first word.
		values := make([]string, len(got))
		for i, g := range got {
			values[i] = strings.Fields(g)[0]
		}
		if !slices.Equal(values, tc.want) {
			t.Errorf("%q<TAB> offers %q, want %q", tc.line, got, tc.want)
		}
	}
}

// compWords splits a command line as bash fills COMP_WORDS: at spaces,
// with ':' and '=' words of their own. A line ending in a space has an
// empty word last, the one being completed.
func compWords(line string) []string {
	var words []string
	cur := ""
	for _, r := range line {
		switch r {
		case ' ':
			if cur != "" {
				words = append(words, cur)
			}
			cur = ""
		case ':', '=':
			if cur != "" {
				words = append(words, cur)
			}
			words = append(words, string(r))
			cur = ""
		default:
			cur += string(r)
		}
	}
	return append(words, cur)
}
