import './orders';
import './stats';
