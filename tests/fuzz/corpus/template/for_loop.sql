{% for t in params.tables %}
  ANALYZE {{ t }}; -- {{ loop.index }} of {{ loop.length }}
{% else %}
  SELECT 1;
{% endfor %}