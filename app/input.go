package app

import (
	"math/big"

	"github.com/datashare/datashare/backend/share"
)

// publishInput is Publish's input, checked by the backend's rules (share.CheckPublish).
type publishInput struct {
	path, name, description string
	price                   *big.Int // nil: free
}

func checkPublish(path, name, priceEth, description string) (publishInput, error) {
	price, err := share.CheckPrice(priceEth)
	if err != nil {
		return publishInput{}, err
	}
	opts, err := share.CheckPublish(path, share.PublishOptions{Name: name, Description: description, Price: price})
	if err != nil {
		return publishInput{}, err
	}
	in := publishInput{path: path, name: opts.Name, description: opts.Description}
	if price.Sign() > 0 {
		in.price = price
	}
	return in, nil
}
