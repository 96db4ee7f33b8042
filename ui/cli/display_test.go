package cli

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/ui"
	"github.com/apideck-samples/vault-session/ui/termbg"
	"github.com/spf13/pflag"
)

func TestDisplayResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		env     map[string]string
		want    termbg.Mode
		wantErr string
	}{
		{nil, nil, termbg.Auto, ""},
		{nil, map[string]string{termbg.EnvVar: "light"}, termbg.Light, ""},
		{[]string{"--theme", "dark"}, map[string]string{termbg.EnvVar: "light"}, termbg.Dark, ""},
		{[]string{"--theme=auto"}, map[string]string{termbg.EnvVar: "light"}, termbg.Auto, ""},
		{[]string{"--theme", "sepia"}, nil, "", "--theme: \"sepia\""},
		{nil, map[string]string{termbg.EnvVar: "sepia"}, "", termbg.EnvVar + ": \"sepia\""},
	}
	for _, tt := range tests {
		var d displayInput
		fs := pflag.NewFlagSet("vault-session", pflag.ContinueOnError)
		d.register(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		got, err := d.resolve(fs, func(k string) string { return tt.env[k] })
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v %v: error %v, want %q", tt.args, tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.theme != tt.want {
			t.Errorf("%v %v: %q, %v; want %q", tt.args, tt.env, got.theme, err, tt.want)
		}
	}
}

// TestAccessibleModeIsChosen: the flag, huh's ACCESSIBLE and TERM=dumb
// all give the wizard plain prompts; either way the wizard ends with the
// list of the sessions it created.
func TestAccessibleModeIsChosen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  map[string]string
		want bool
	}{
		{nil, nil, false},
		{[]string{"--accessible"}, nil, true},
		{nil, map[string]string{envAccessible: "1"}, true},
		{nil, map[string]string{envAccessible: "0"}, false},
		{nil, map[string]string{"TERM": "dumb"}, true},
		{[]string{"--accessible=false"}, map[string]string{envAccessible: "1"}, false},
	}
	for _, tt := range tests {
		fw := &fakeWizard{outcome: func(ui.Options) (ui.Outcome, error) {
			return ui.Outcome{Sessions: []ui.CreatedSession{{ConsumerID: "c", Result: client.Result{URL: "https://vault.example/session/x"}}}}, nil
		}}
		c := newTestCLI(t)
		c.terminal = true
		c.wizard = fw.run
		c.env = tt.env
		if c.env == nil {
			c.env = map[string]string{}
		}
		r := c.run(append([]string{"--demo"}, tt.args...)...)
		if r.code != exitOK || fw.opts.Accessible != tt.want {
			t.Errorf("%v %v: exit %d, accessible %t; want %t", tt.args, tt.env, r.code, fw.opts.Accessible, tt.want)
		}
		if !strings.Contains(r.stdout, "/session/x") {
			t.Errorf("%v %v: the URL is not listed after the wizard:\n%s", tt.args, tt.env, r)
		}
	}
}
