// Package validate implements `medcode validate` for one claim.
package validate
