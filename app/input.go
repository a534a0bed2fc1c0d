package app

import (
	"github.com/datashare/datashare/backend/share"
)

// checkPublish checks Publish's input by the backend's rules (share.CheckPrice, CheckPublish)
// and returns the options to publish with (a nil price: free).
func checkPublish(path, name, priceEth, description string) (share.PublishOptions, error) {
	price, err := share.CheckPrice(priceEth)
	if err != nil {
		return share.PublishOptions{}, err
	}
	if price.Sign() == 0 {
		price = nil
	}
	return share.CheckPublish(path, share.PublishOptions{Name: name, Description: description, Price: price})
}
