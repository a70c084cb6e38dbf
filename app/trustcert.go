package app

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frontdesk-app/frontdesk/auth"
)

// TrustCertificate keeps the certificate of the Exchange server that the
// operator looked at and chose to trust (the welcome page shows issuer,
// validity and SHA-256 fingerprint first) as a PEM file next to the config
// file, and returns its path for ews.ca_file. The certificates of keep, the
// CA file the form already named, come first, so trusting one server does not
// drop an authority trusted before. Nothing is trusted until the form that
// names the file is connected and saved.
func (ws *windowSettings) TrustCertificate(ctx context.Context, server string, certPEM []byte, keep string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", errors.New("not a PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", err
	}
	var bundle []byte
	if keep != "" {
		kept, err := os.ReadFile(keep)
		if err != nil {
			return "", err
		}
		bundle = append(kept, '\n')
	}
	bundle = append(bundle, certPEM...)
	path := filepath.Join(filepath.Dir(ws.env.Paths.ConfigFile), "trusted-"+fileNamePart(server)+".pem")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	if err := auth.WriteFileAtomic(path, bundle); err != nil {
		return "", err
	}
	sum := sha256.Sum256(cert.Raw)
	ws.env.logger().Info("certificate trusted by the operator", "server", server, "subject", cert.Subject.String(),
		"issuer", cert.Issuer.String(), "sha256", hex.EncodeToString(sum[:]), "file", path)
	return path, nil
}

// fileNamePart is s with everything but letters, digits, dots and dashes
// turned into dashes ("mail.contoso.com:443" -> "mail.contoso.com-443").
func fileNamePart(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '-'
	}, s)
	if out == "" || strings.Trim(out, ".") == "" {
		return fmt.Sprintf("server-%d", len(s))
	}
	return out
}
