"""Asset labels: QR codes and printable label sheets."""
