package devnet

// SetHeadSync turns the fsync after each new head on or off; off reproduces go-ethereum's own
// behaviour after a kill, for the crash test.
func SetHeadSync(on bool) { headSync = on }
