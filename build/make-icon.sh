#!/bin/sh
# Draws the DataShare app icon (build/appicon.png, 1024x1024) with ImageMagick: a "share" glyph
# on a rounded indigo-to-teal square. Re-run after changing it; the PNG is committed.
set -eu
cd "$(dirname "$0")"
convert -size 1024x1024 -define gradient:direction=SouthEast gradient:'#4F46E5-#0891B2' \
	\( -size 1024x1024 xc:none -fill white -draw "roundrectangle 72,72 952,952 210,210" \) \
	-compose DstIn -composite -compose Over \
	-stroke white -strokewidth 64 -draw "line 385,512 645,350" -draw "line 385,512 645,674" \
	-stroke none -fill white \
	-draw "circle 385,512 385,600" -draw "circle 645,350 645,430" -draw "circle 645,674 645,754" \
	-strip PNG32:appicon.png
