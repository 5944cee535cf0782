package drive

// Owners returns the number of orders whose owner d records.
func Owners(d *Driver) int { return len(d.owners) }
