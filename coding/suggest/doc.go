// Package suggest ranks ICD-10-CM and HCPCS codes for diagnosis or
// procedure text, saying why each matched.
package suggest
