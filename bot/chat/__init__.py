"""The Discord front end: the client, one cog per feature, embeds, translations and checks."""
