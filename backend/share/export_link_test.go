package share

import "time"

// StopIPFS stops the profile's IPFS node, as when the owner's computer goes offline; the rest
// of the Service (the chain) stays.
func (s *Service) StopIPFS() error { return s.ipfs.Close() }

// SetOfflineWait shortens how long Fetch waits for a computer that holds the data; it returns
// a function that restores the defaults.
func SetOfflineWait(notice, wait, redial time.Duration) func() {
	n, w, r := offlineNotice, offlineWait, redialEvery
	offlineNotice, offlineWait, redialEvery = notice, wait, redial
	return func() { offlineNotice, offlineWait, redialEvery = n, w, r }
}
