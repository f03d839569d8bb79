spec_version = "0.7.0"

variable "owner" {
  value = "@team"
}

threatmodel "Refs" {
  author = var.owner
  description = "Uses ${var.owner} in text"
  including = "base.hcl"
  attributes = { size = "Small", internet_facing = true }

  threat "Lookup" {
    description = lookup(var.map, "key")
    impacts = [1.5e3, -2, null]
  }
}
