"""Minimal stand-in for the `ml_collections` package (only what the reference's
config files touch): an attribute-access dictionary that nests.

Written for the parity generator; it is injected into ``sys.modules`` as
``ml_collections`` before any reference config file is imported.
"""
import copy
import types


class ConfigDict:
  """Attribute-access mapping. Unknown attributes raise AttributeError."""

  def __init__(self, initial=None):
    object.__setattr__(self, '_fields', {})
    for key, value in dict(initial or {}).items():
      self[key] = value

  # attribute access ---------------------------------------------------------
  def __getattr__(self, name):
    fields = object.__getattribute__(self, '_fields')
    if name in fields:
      return fields[name]
    raise AttributeError(name)

  def __setattr__(self, name, value):
    if isinstance(value, dict):
      value = ConfigDict(value)
    self._fields[name] = value

  def __delattr__(self, name):
    del self._fields[name]

  # mapping access -----------------------------------------------------------
  def __getitem__(self, key):
    return self._fields[key]

  def __setitem__(self, key, value):
    setattr(self, key, value)

  def __contains__(self, key):
    return key in self._fields

  def __iter__(self):
    return iter(self._fields)

  def __len__(self):
    return len(self._fields)

  def get(self, key, default=None):
    return self._fields.get(key, default)

  def keys(self):
    return self._fields.keys()

  def values(self):
    return self._fields.values()

  def items(self):
    return self._fields.items()

  def to_dict(self):
    return {k: (v.to_dict() if isinstance(v, ConfigDict) else v)
            for k, v in self._fields.items()}

  def __deepcopy__(self, memo):
    return ConfigDict(copy.deepcopy(self.to_dict(), memo))

  def __repr__(self):
    return 'ConfigDict(%r)' % (self.to_dict(),)


def install(sys_modules):
  """Register this stub as `ml_collections` (and `ml_collections.config_flags`)."""
  mod = types.ModuleType('ml_collections')
  mod.ConfigDict = ConfigDict
  mod.__file__ = __file__
  flags = types.ModuleType('ml_collections.config_flags')
  mod.config_flags = flags
  sys_modules['ml_collections'] = mod
  sys_modules['ml_collections.config_flags'] = flags
  return mod
