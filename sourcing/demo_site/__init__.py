"""Provides the bundled demo site: fictional job boards, a career page and profiles on 127.0.0.1."""

from sourcing.demo_site.server import DemoSite, load_data

__all__ = ["DemoSite", "load_data"]
