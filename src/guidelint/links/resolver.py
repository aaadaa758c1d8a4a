"""The resolver the checker connects through: every address it returns is vetted first.

Kept apart from `links.guard` (the policy), which configuration loading imports: this module
needs aiohttp, which only checking does.
"""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from guidelint.links.guard import AddressPolicy


class GuardedResolver(AbstractResolver):
    """A resolver that vets every address it returns; refuses the host if any is forbidden.

    Refusing the whole host (rather than dropping the bad addresses) matters: a name that
    resolves to both a public and an internal address is a rebinding setup, not a mistake.
    """

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        from aiohttp import ThreadedResolver

        self.policy = policy
        # ThreadedResolver is the system's getaddrinfo: /etc/hosts and the OS configuration
        # apply, and no optional dependency (aiodns) changes behaviour between machines.
        self.inner: AbstractResolver = inner if inner is not None else ThreadedResolver()
        self._owns_inner = inner is None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        for result in results:
            error = self.policy.refusal(host, str(result["host"]))
            if error is not None:
                raise error
        return results

    async def close(self) -> None:
        if self._owns_inner:  # an injected resolver belongs to whoever passed it in
            await self.inner.close()
