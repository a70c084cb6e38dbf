package calendar

import "testing"

func TestIsSecretName(t *testing.T) {
	tests := map[string]bool{
		"password": true, "Authorization": true, "Proxy-Authorization": true, "proxy_authorization": true,
		"accessToken": true, "AccessToken": true, "access_token": true, "x-ms-token": true, "X-MS-TOKEN": true,
		"refresh_token": true, "refreshToken": true, "client_secret": true, "clientSecret": true,
		"ews.password": true, "EWSPassword": true, "ewspassword": true, "Set-Cookie": true, "api_key": true,
		"credentials": true, "HTTPToken": true, "X-Api-Key": true, "Ocp-Apim-Subscription-Key": true,
		"x-amz-signature": true,
		"user":            false, "tokens_left": false, "subject": false, "auth": false, "status": false,
		"people.emails": false, "ews.url": false, "op": false, "keyring": false, "key": false,
		"Content-Type": false, "request-id": false, "client-request-id": false, "Retry-After": false,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			if got := IsSecretName(name); got != want {
				t.Errorf("IsSecretName(%q) = %v, want %v (words %q)", name, got, want, nameWords(name))
			}
		})
	}
}
