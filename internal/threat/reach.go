package threat

import (
	"slices"

	"github.com/wardtm/ward/internal/model"
)

// reachOf returns the attack vector from which data arriving over a flow at
// an element can come: the flow's own vector, or a more exposed one when
// the sending process or store passes on data that reached it over another
// flow. So the therapy commands that a radio chip receives over BLE and
// forwards to the main processor over a UART reach that processor from
// radio range, although the UART itself needs hands on the board.
//
// Data passes through an element when the flow in and the flow out name a
// data item in common and the flow out is a local or physical link, such
// as IPC or a board bus inside one device. A radio or network link to
// another device keeps its own vector, because data from further away must
// first get through the sending device's own logic, and that is a threat
// against the sender. Entities pass nothing on, because their inputs are
// outside the model.
//
// NOTE: data is passed on only in a flow's written direction. A
// bidirectional flow lists the data of both directions together, so
// following it backwards would send firmware that a bootloader reads from
// flash on to the factory station that programs it over SWD.
func (ix *index) reachOf(ft, to *target) string {
	if !ix.reachDone {
		ix.computeReach()
	}
	return ft.reach[receiverSlot(ft, to)]
}

// receiverSlot returns the index in a flow target's reach of the end that
// delivers to the element to: 0 for the destination, 1 for the source of
// a bidirectional flow.
func receiverSlot(ft, to *target) int {
	if to != ft.to() {
		return 1
	}
	return 0
}

// flowEnd is a flow target seen from the element it delivers to.
type flowEnd struct {
	ft   *target
	slot int
}

// computeReach fills the reach of every flow target. Every flow end starts
// at its flow's vector. A worklist then raises the internal links leaving
// each process or store to the vector of the ends reaching it with data in
// common, until nothing changes. Each end can only become more exposed,
// and at most three times, so the walk ends on cyclic models too and its
// result does not depend on the order of the model.
func (ix *index) computeReach() {
	ix.reachDone = true
	var work []flowEnd
	for _, ft := range ix.targets {
		if ft.flow == nil {
			continue
		}
		v := ix.vectorOf(ft)
		ft.reach = [2]string{v, v}
		work = append(work, flowEnd{ft, 0})
		if fl := ft.flow; fl.Bidirectional && fl.From != fl.To {
			work = append(work, flowEnd{ft, 1})
		}
	}

	for len(work) > 0 {
		in := work[len(work)-1]
		work = work[:len(work)-1]
		relay := in.ft.to()
		if in.slot == 1 {
			relay = in.ft.from()
		}
		if relay == nil || relay.element.Kind == "entity" {
			continue
		}
		v := in.ft.reach[in.slot]
		for _, out := range relay.flowsOut {
			// Data is passed on only in a flow's written direction (see
			// reachOf), so the reverse listing of a bidirectional flow
			// does not count.
			if out.from() != relay || out == in.ft || !sharesData(in.ft.flow, out.flow) || !isInternalLink(ix.vectorOf(out)) {
				continue
			}
			if old := out.reach[0]; moreExposed(old, v) != old {
				out.reach[0] = v
				work = append(work, flowEnd{out, 0})
			}
		}
	}
}

// otherEnd returns the end of a flow that is not id.
func otherEnd(fl *model.Flow, id string) string {
	if fl.From == id {
		return fl.To
	}
	return fl.From
}

func sharesData(a, b *model.Flow) bool {
	for _, d := range a.Data {
		if slices.Contains(b.Data, d) {
			return true
		}
	}
	return false
}

// isInternalLink reports whether a flow with the given vector stays inside
// one device or host.
func isInternalLink(vector string) bool {
	return vector == VectorLocal || vector == VectorPhysical
}
