package main

import (
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/ui/termbg"
)

func TestDisplayResolve(t *testing.T) {
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
		fs := rootFlagSet(new(createJob), &d, new(bool))
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
