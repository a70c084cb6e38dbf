package calendar

import (
	"strings"
	"unicode"
)

// secretWords are the words that make an attribute key, map key, struct field
// or query parameter secret, whatever its value's type: a token passed as a
// plain string is still a token. Keys are split into words first
// (IsSecretName), so "Proxy-Authorization", "accessToken", "x-ms-token",
// "refresh_token" and "client_secret" all match, and "tokens_left" does not.
var secretWords = []string{
	"password", "passwd", "pwd", "passphrase", "secret", "token", "authorization",
	"cookie", "credential", "credentials", "apikey", "privatekey", "assertion", "signature",
}

// IsSecretName reports whether a value filed under name (a log attribute, a
// map key, a struct field, a query parameter, an HTTP header) must never be
// shown, whatever the value's type: a token passed as a plain string is still a
// token. It is the one such test, for the log and the request logger alike.
func IsSecretName(name string) bool {
	words := nameWords(name)
	if len(words) > 1 && words[len(words)-1] == "key" {
		return true // X-Api-Key, Ocp-Apim-Subscription-Key, x-functions-key
	}
	joined := strings.Join(words, "")
	for _, s := range secretWords {
		// The suffix catches run-together keys such as "accesstoken" or
		// "ewspassword" that have no word boundary to split on.
		if strings.HasSuffix(joined, s) {
			return true
		}
		for _, w := range words {
			if w == s {
				return true
			}
		}
	}
	return false
}

// nameWords splits a name into lower-case words at punctuation and at camelCase
// boundaries: "Proxy-Authorization" -> proxy authorization, "accessToken" ->
// access token, "HTTPToken" -> http token.
func nameWords(name string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && i > 0 {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur.WriteRune(unicode.ToLower(r))
	}
	flush()
	return words
}
