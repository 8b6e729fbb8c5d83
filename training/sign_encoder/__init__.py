"""Training of the sign encoder (issue 10): data, augmentation, models, losses, protocols, export.

Run as ``python -m training.sign_encoder {train,protocol,export,split} ...``. Imports the
library (``signlookup.features``, ``signlookup.encoder.metrics``); the library never imports this.
"""
