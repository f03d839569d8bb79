// An older threatcl layout: unlabelled threats, a free-text control, the
// data_flow_diagram block with trust_zone attributes, and the other
// value forms the parser reads.
spec_version = "0.1.8"

/* A block comment
   over two lines. */
threatmodel "Pumpe für Kinder" {
  author = "@ward"
  link = "https://example.com/pump"
  created_at = 1700000000
  description = <<-EOT
    Insulin pump with a phone app.
      Indented line stays indented.
    EOT

  information_asset "Dosis" {
    description = "Bolus and basal \"rates\"\tper patient"
    information_classification = "Restricted"
  }

  usecase {
    description = "A parent doses a child"
  }
  usecase {
    description = "A clinician reviews history"
  }

  exclusion {
    description = "Hospital networks"
  }

  threat {
    description = "Someone replays a bolus command over BLE. More text follows."
    control = "Use LE Secure Connections"
    stride = ["Tampering", "Spoofing", "Denial of Service"]
    information_asset_refs = ["Dosis"]
    impacts = ["Integrity", "Availability"]

    proposed_control {
      implemented = false
      description = "Sign every command"
    }
  }

  threat {
    description = "Firmware is read out over SWD"
  }

  data_flow_diagram {
    process "Pump firmware" {
      trust_zone = "Pump enclosure"
    }
    process "Phone app" {}
    data_store "Dose log" {
      trust_zone = "Pump enclosure"
      information_asset = "Dosis"
    }
    external_element "Parent" {}
    flow "BLE" {
      from = "Phone app"
      to = "Pump firmware"
    }
    flow "write" {
      from = "Pump firmware"
      to = "Dose log"
    }
    flow "nowhere" {
      from = "Phone app"
      to = "Cloud"
    }
  }

  data_flow_diagram_v2 "second view" {
    process "Phone app" {}
    external_element "Parent" {}
    flow "manual" {
      from = "Parent"
      to   = "Phone app"
    }
  }
}
