"""Identity and access for the gateway (DESIGN §1, §2 "Who decides access", §8).

Pure cores only: password hashing, TOTP and recovery codes, the at-rest secret box, sessions and
API tokens, rate limits and sign-in backoff, the authorization rules, and account records. No
module here imports asyncio, nats or aiohttp; the gateway's HTTP and KV shells call into them.
"""
