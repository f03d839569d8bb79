package model

import "testing"

func TestInterfaceIsDebug(t *testing.T) {
	tests := []struct {
		kind  string
		debug bool
		want  bool
	}{
		{"jtag", false, true},
		{"swd", false, true},
		{"debug-header", false, true},
		{"test-point", false, false},
		{"test-point", true, true},
		{"usb", false, false},
		{"uart", true, true},
	}
	for _, tt := range tests {
		ifc := Interface{Kind: tt.kind, Debug: tt.debug}
		if got := ifc.IsDebug(); got != tt.want {
			t.Errorf("IsDebug(kind %s, debug %v) = %v, want %v", tt.kind, tt.debug, got, tt.want)
		}
	}
}
