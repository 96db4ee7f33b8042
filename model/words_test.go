package model_test

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestAndList(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := model.AndList(tc.items); got != tc.want {
			t.Errorf("AndList(%q) = %q, want %q", tc.items, got, tc.want)
		}
	}
}
