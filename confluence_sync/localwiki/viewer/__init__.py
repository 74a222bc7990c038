"""The HTML viewer of the local wiki: spaces, page trees and rendered pages, for people."""
