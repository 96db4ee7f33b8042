package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestManPageCoversEveryCommandAndFlag(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("man")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("man: %s", r)
	}
	page := r.stdout
	for _, want := range []string{".TH VAULT-SESSION 1", ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH COMMANDS",
		".SH EXAMPLES", ".SH EXIT STATUS", ".SH ENVIRONMENT", ".SH FILES",
		"APIDECK_API_KEY", "VAULT_SESSION_PRESETS", "VAULT_SESSION_NO_HISTORY", "$XDG_STATE_HOME/vault-session/history\\&.jsonl",
		"$XDG_CONFIG_HOME/vault-session/presets", "vault-session watch: 0 the --until condition holds",
		// Every file kept, as the README's table and serve's help say.
		"$XDG_STATE_HOME/vault-session/drafts/", "$XDG_STATE_HOME/vault-session/batches/KEY\\&.jsonl",
		"ssh_host_ed25519_key", "audit\\&.jsonl", "people/", "16 MiB", "VISUAL, EDITOR"} {
		if !strings.Contains(page, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
	for _, cmd := range commandTree(t) {
		if cmd.Hidden {
			if strings.Contains(page, `\fB`+cmd.Name()+`\fP`) {
				t.Errorf("the man page lists the hidden %s", cmd.Name())
			}
			continue
		}
		if cmd.HasParent() && !strings.Contains(page, `\fB`+strings.Join(words(cmd), " ")+`\fP`) {
			t.Errorf("the man page lacks the command %s", cmd.CommandPath())
		}
		for _, f := range flagGroups(cmd) {
			for _, flag := range f.flags {
				if !strings.Contains(page, `\fB--`+flagLeft(flag)[2:]+`\fP`) {
					t.Errorf("the man page lacks %s %s", cmd.CommandPath(), flagLeft(flag))
				}
			}
		}
	}
}

// TestManRendersTheManPage: man(1) reads the page (man-db's man -l).
// Without man it skips, unless CI=true: .ci/run has man-db installed.
func TestManRendersTheManPage(t *testing.T) {
	t.Parallel()
	manBin, err := exec.LookPath("man")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("man is not installed: .ci/run installs man-db (apt-get install man-db)")
		}
		t.Skip("man is not installed (apt-get install man-db): the page is not rendered")
	}
	r := newCLI(t).run("man")
	cmd := exec.Command(manBin, "-l", "-")
	cmd.Stdin = strings.NewReader(r.stdout)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MANPAGER=cat", "PAGER=cat", "MAN_KEEP_FORMATTING=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("man -l -: %v\n%s", err, out)
	}
	text := stripOverstrike(string(out))
	for _, want := range []string{"NAME", "vault-session - create Apideck Hosted Vault sessions", "SYNOPSIS", "EXIT STATUS", "ENVIRONMENT", "FILES",
		"--consumer-id ID", "create [--from FILE] [flags]", "demo-server [--listen ADDR]",
		"vault-session create --demo --consumer-id acme-42 --unified-apis crm,hris \\", "--primary-color '#ff5a1f'"} {
		if !strings.Contains(text, want) {
			t.Errorf("man -l - does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "warning") {
		t.Errorf("man warns:\n%s", text)
	}
	// The EXAMPLES section's lines line up, as in every command's: its
	// first line is not set apart as a paragraph's tag.
	_, examples, _ := strings.Cut(text, "\nEXAMPLES\n")
	examples, _, _ = strings.Cut(examples, "\nEXIT STATUS")
	indents := map[int]bool{}
	for _, line := range strings.Split(examples, "\n") {
		if strings.TrimSpace(line) != "" {
			indents[len(line)-len(strings.TrimLeft(line, " "))] = true
		}
	}
	if len(indents) != 1 {
		t.Errorf("the EXAMPLES lines start at %d different columns:\n%s", len(indents), examples)
	}
}

// stripOverstrike removes the backspace bold and underline man may draw.
func stripOverstrike(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\b' {
			str := b.String()
			_, size := lastRune(str)
			b.Reset()
			b.WriteString(str[:len(str)-size])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return rune(s[i]), len(s) - i
		}
	}
	return 0, 0
}
