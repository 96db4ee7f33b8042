// Package theme knows how the hosted Vault page will look: it fills in the
// page's default colours, measures WCAG 2.x contrast, suggests the nearest
// colour that passes, offers ready palettes and draws the page for a
// session twice from one table of rules (Page): as a terminal preview and
// as a self-contained HTML document, with the contrast of every text it
// draws in the theme's colours (ThemedTexts); it also draws the demo's
// stand-in for a connector's sign-in screen (AuthorizePage). It holds the
// wizard's own lipgloss styles too.
//
// It imports model only; nothing here talks to a terminal or the network, so
// every rendering is decided by its arguments (width, height, colour
// profile, time).
package theme
