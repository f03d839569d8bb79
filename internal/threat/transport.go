package threat

// Attack vectors, ordered from the most to the least exposed.
const (
	VectorNetwork  = "network"
	VectorAdjacent = "adjacent"
	VectorLocal    = "local"
	VectorPhysical = "physical"
)

// vectorRank orders attack vectors by exposure; a lower rank is reachable by
// more attackers. ok is false for anything else. A switch, because
// ruleVector compares vectors once per threat.
func vectorRank(v string) (rank int, ok bool) {
	switch v {
	case VectorNetwork:
		return 0, true
	case VectorAdjacent:
		return 1, true
	case VectorLocal:
		return 2, true
	case VectorPhysical:
		return 3, true
	}
	return 0, false
}

// moreExposed returns the more exposed of two attack vectors; an empty
// vector loses to any other.
func moreExposed(a, b string) string {
	ra, okA := vectorRank(a)
	rb, okB := vectorRank(b)
	switch {
	case !okA:
		return b
	case !okB:
		return a
	case rb < ra:
		return b
	}
	return a
}

// lessExposed returns the less exposed of two attack vectors; an unknown
// vector loses to any other.
func lessExposed(a, b string) string {
	ra, okA := vectorRank(a)
	rb, okB := vectorRank(b)
	switch {
	case !okA:
		return b
	case !okB:
		return a
	case rb > ra:
		return b
	}
	return a
}

// protocolTransports gives the transport, and so the attack vector, of each
// built-in protocol: where an attacker must be to reach a flow that uses it.
// Radio links and shared LAN segments are adjacent, board buses and cables
// physical, host-internal channels local. "other" is absent on purpose, so
// its transport stays unset. A model's protocols entries add to or override
// this table through their transport key.
var protocolTransports = map[string]string{
	"ble":            VectorAdjacent,
	"bluetooth":      VectorAdjacent,
	"nfc":            VectorAdjacent,
	"wifi":           VectorAdjacent,
	"zigbee":         VectorAdjacent,
	"cellular":       VectorNetwork,
	"proprietary-rf": VectorAdjacent,
	"usb":            VectorPhysical,
	"serial":         VectorPhysical,
	"uart":           VectorPhysical,
	"spi":            VectorPhysical,
	"i2c":            VectorPhysical,
	"can":            VectorPhysical,
	"jtag":           VectorPhysical,
	"swd":            VectorPhysical,
	"ethernet":       VectorAdjacent,
	"tcp":            VectorNetwork,
	"udp":            VectorNetwork,
	"tls":            VectorNetwork,
	"dtls":           VectorNetwork,
	"http":           VectorNetwork,
	"https":          VectorNetwork,
	"websocket":      VectorNetwork,
	"grpc":           VectorNetwork,
	"mqtt":           VectorNetwork,
	"coap":           VectorNetwork,
	"amqp":           VectorNetwork,
	"hl7v2-mllp":     VectorNetwork,
	"fhir":           VectorNetwork,
	"dicom":          VectorNetwork,
	"ssh":            VectorNetwork,
	"sftp":           VectorNetwork,
	"smtp":           VectorNetwork,
	"sql":            VectorNetwork,
	"ipc":            VectorLocal,
	"file":           VectorLocal,
	"in-process":     VectorLocal,
	"manual":         VectorPhysical,
}

// authenticatedEncryption lists the protocols whose encryption, when a flow
// turns it on, also protects integrity: TLS and DTLS with their AEAD or MAC
// cipher suites (and the protocols carried over them), SSH, the AES-CCM link
// layers of Bluetooth, BLE and Zigbee, WPA2/WPA3 CCMP or GCMP on Wi-Fi, and
// the ciphering with integrity of cellular networks. Encryption on the other
// protocols (a proprietary radio, a serial line, raw TCP) says nothing about
// integrity, so integrity_protected stays false there unless the flow's
// integrity key says otherwise.
var authenticatedEncryption = map[string]bool{
	"tls": true, "dtls": true, "https": true, "fhir": true, "websocket": true,
	"grpc": true, "mqtt": true, "coap": true, "amqp": true, "hl7v2-mllp": true,
	"dicom": true, "ssh": true, "sftp": true, "smtp": true, "sql": true,
	"ble": true, "bluetooth": true, "zigbee": true, "wifi": true, "cellular": true,
}

// interfaceVectors gives the attack vector of an interface kind: radios and
// NFC antennas are reached from radio range, everything else needs hands on
// the device.
var interfaceVectors = map[string]string{
	"nfc":   VectorAdjacent,
	"radio": VectorAdjacent,
}

// boundaryVectors gives the attack vector of crossing a trust boundary of
// each kind.
var boundaryVectors = map[string]string{
	"physical":     VectorPhysical,
	"network":      VectorNetwork,
	"process":      VectorLocal,
	"cloud":        VectorNetwork,
	"organization": VectorNetwork,
}
