"""Deception and spam: `cluetrain eval deception`, the shipped deception model's training,
and the false-hold measurement of the spam scorer (docs/spam-and-deception.md)."""
