"""The gateway: websockets for agents and visitors, the push relay, presence, the REST front."""
